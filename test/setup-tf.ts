/**
 * Unit tests run TF.js on the CPU backend, as an entry point would set it up: gradients
 * registered and the fast segment-sum and fused AdamW kernels in place (so the PyTorch parity
 * tests check the optimizer step real runs take). Core code never picks a backend itself.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '../src/platform/node/gradients';
import { registerSegmentSumKernels } from '../src/platform/kernels/segment-sum';
import { registerAdamWKernels } from '../src/platform/kernels/adamw-step';

registerSegmentSumKernels();
registerAdamWKernels();
await tf.setBackend('cpu');
