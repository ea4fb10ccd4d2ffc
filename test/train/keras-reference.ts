// Keras 3's optimizer update rules (keras/src/optimizers/*.py) in plain
// float64 JS, one function per optimizer: the reference the fused kernels are
// checked against. Nothing here imports wasmtensor.

export type Slots = Record<string, Float64Array>;

/** One update of w (in place) with gradient g at step t (1-based); slots persist between calls. */
export type KerasRule = (w: Float64Array, g: Float64Array, s: Slots, t: number) => void;

function slot(s: Slots, name: string, n: number, init = 0): Float64Array {
  return (s[name] ??= new Float64Array(n).fill(init));
}

export const keras = {
  sgd: (lr = 0.01, momentum = 0, nesterov = false): KerasRule => (w, g, s) => {
    if (momentum === 0) {
      for (let i = 0; i < w.length; i++) w[i] -= lr * g[i];
      return;
    }
    const m = slot(s, 'm', w.length);
    for (let i = 0; i < w.length; i++) {
      m[i] = m[i] * momentum - g[i] * lr;
      w[i] += nesterov ? m[i] * momentum - g[i] * lr : m[i];
    }
  },

  rmsprop: (lr = 0.001, rho = 0.9, momentum = 0, epsilon = 1e-7, centered = false): KerasRule => (w, g, s) => {
    const v = slot(s, 'velocity', w.length);
    const mom = slot(s, 'momentum', w.length);
    const avg = slot(s, 'average_gradient', w.length);
    for (let i = 0; i < w.length; i++) {
      v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
      let denominator = v[i] + epsilon;
      if (centered) {
        avg[i] = rho * avg[i] + (1 - rho) * g[i];
        denominator = v[i] - avg[i] * avg[i] + epsilon;
      }
      const increment = (lr * g[i]) / Math.sqrt(denominator);
      if (momentum > 0) {
        mom[i] = momentum * mom[i] + increment;
        w[i] -= mom[i];
      } else {
        w[i] -= increment;
      }
    }
  },

  adam: (lr = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7): KerasRule => (w, g, s, t) => {
    const m = slot(s, 'm', w.length);
    const v = slot(s, 'v', w.length);
    const alpha = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
    for (let i = 0; i < w.length; i++) {
      m[i] += (g[i] - m[i]) * (1 - beta1);
      v[i] += (g[i] * g[i] - v[i]) * (1 - beta2);
      w[i] -= (m[i] * alpha) / (Math.sqrt(v[i]) + epsilon);
    }
  },

  adamax: (lr = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7): KerasRule => (w, g, s, t) => {
    const m = slot(s, 'm', w.length);
    const u = slot(s, 'u', w.length);
    for (let i = 0; i < w.length; i++) {
      m[i] += (g[i] - m[i]) * (1 - beta1);
      u[i] = Math.max(beta2 * u[i], Math.abs(g[i]));
      w[i] -= (lr * m[i]) / ((1 - beta1 ** t) * (u[i] + epsilon));
    }
  },

  adagrad: (lr = 0.001, initialAccumulatorValue = 0.1, epsilon = 1e-7): KerasRule => (w, g, s) => {
    const acc = slot(s, 'acc', w.length, initialAccumulatorValue);
    for (let i = 0; i < w.length; i++) {
      acc[i] += g[i] * g[i];
      w[i] -= (lr * g[i]) / Math.sqrt(acc[i] + epsilon);
    }
  },

  adadelta: (lr = 0.001, rho = 0.95, epsilon = 1e-7): KerasRule => (w, g, s) => {
    const ag = slot(s, 'accumulated_grad', w.length);
    const ad = slot(s, 'accumulated_delta_var', w.length);
    const rms = (x: number) => Math.sqrt(x + epsilon);
    for (let i = 0; i < w.length; i++) {
      ag[i] = rho * ag[i] + (1 - rho) * g[i] * g[i];
      const delta = -(rms(ad[i]) * g[i]) / rms(ag[i]);
      ad[i] = rho * ad[i] + (1 - rho) * delta * delta;
      w[i] += lr * delta;
    }
  },
};
