// Vite resolves tfjs-core's ESM sources, so the gradient registrations load directly.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
