// tfjs-core's CommonJS bundle (what Node loads) carries no gradient functions, and its ESM
// `dist/register_all_gradients.js` uses extension-less imports that Node refuses. The umbrella
// package's Node bundle registers all of them against the same tfjs-core instance.
import '@tensorflow/tfjs';
