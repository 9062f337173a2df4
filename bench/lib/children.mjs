// Every process the bench forks, so that none outlives it: on exit, on Ctrl-C, on a crash.
/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();

/** Remembers `child` until it exits. @param {import('node:child_process').ChildProcess} child */
export function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** SIGKILLs every child still running (by its own pid, never by name). */
export function killChildren() {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

process.once('exit', killChildren);
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => {
    killChildren();
    process.exit(130);
  });
}
