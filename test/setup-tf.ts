/**
 * Unit tests run TF.js on the CPU backend, as an entry point would set it up: gradients
 * registered and the fast segment-sum kernel in place. Core code never picks a backend itself.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '../src/platform/node/gradients';
import { registerSegmentSumKernels } from '../src/platform/kernels/segment-sum';

registerSegmentSumKernels();
await tf.setBackend('cpu');
