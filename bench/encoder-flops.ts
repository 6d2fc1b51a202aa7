/** The FLOP count lives in core (the page's time estimates use it); the GPU bench driver imports it from here. */
export { encoderFlops, encoderShape, matmulParamsPerToken, type EncoderShape } from '../src/core/models/pretrained/encoder-flops';
