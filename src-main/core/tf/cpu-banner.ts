import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

/**
 * tfjs-backend-cpu prints "Hi, looks like you are running TensorFlow.js in Node.js ... install our
 * node backend" on its first tensor write in Node (MathBackendCPU's `firstUse`). Here initBackend
 * picks the backend and records why tfjs-node was skipped, so the banner is only noise in CLI
 * output and test logs. Its one switch is that field, cleared on the instance the engine creates
 * (the registered factory wrapped), which leaves every other tfjs warning as it was.
 */
export function silenceCpuBanner(): void {
  const quiet = (backend: tf.KernelBackend) => Object.assign(backend, { firstUse: false });
  const created = tf.engine().registry.cpu; // (something made a tensor before this module loaded)
  if (created) {
    quiet(created);
    return;
  }
  const factory = tf.findBackendFactory('cpu');
  if (!factory) return;
  tf.removeBackend('cpu');
  // Synchronous like the original factory (an asynchronous one would make the engine's implicit start fail).
  tf.registerBackend(
    'cpu',
    () => {
      const backend = factory();
      return backend instanceof Promise ? backend.then(quiet) : quiet(backend);
    },
    1 /* tfjs-backend-cpu's own priority */,
  );
}
