/**
 * Gradient rules for the kernels Magpie's models differentiate through, registered on the
 * engine at start-up.
 *
 * Why they are here at all: tfjs-core's tape (`variableGrads`, `grads`) is complete, but its
 * per-kernel gradient rules ship only as loose ES modules (`dist/register_all_gradients.js`,
 * with extensionless imports) that Node cannot load; the CommonJS build Node uses carries none
 * of them, so every `variableGrads` fails with "gradient function not found". Each rule below is
 * the textbook derivative, checked against central differences in `engine-gradients.test.ts`.
 * A rule is registered only where none exists, so a full tfjs install keeps its own.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { ELEMENTWISE_GRADIENTS, type GradientRule } from './engine-gradients-math.js';
import { SHAPE_GRADIENTS } from './engine-gradients-shape.js';

type Tf = typeof tfc;
type GradConfig = Parameters<Tf['registerGradient']>[0];

export type { GradientRule } from './engine-gradients-math.js';

/** Every rule Magpie registers, element-wise and shape kernels together. */
export const GRADIENT_RULES: readonly GradientRule[] = [...ELEMENTWISE_GRADIENTS, ...SHAPE_GRADIENTS];

/**
 * Registers each rule of {@link GRADIENT_RULES} whose kernel has no gradient yet. Idempotent.
 *
 * @example
 * registerEngineGradients(tf);
 * tf.variableGrads(() => tf.sum(tf.square(weights))); // works on plain tfjs-core now
 */
export function registerEngineGradients(tf: Tf): void {
  for (const rule of GRADIENT_RULES) {
    if (tf.getGradient(rule.kernel) !== undefined) continue;
    const config: GradConfig = {
      kernelName: rule.kernel,
      gradFunc: (dy, saved, attrs) => rule.grad(tf, dy, saved, attrs),
    };
    if (rule.inputsToSave) config.inputsToSave = rule.inputsToSave;
    if (rule.outputsToSave) config.outputsToSave = rule.outputsToSave;
    if (rule.saveAllInputs) config.saveAllInputs = rule.saveAllInputs;
    tf.registerGradient(config);
  }
}
