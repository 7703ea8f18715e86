// Facts about other processes of this machine (lock holders, builds left by a killed process).

/** Whether a process with this pid is running (EPERM: it runs under another user, so it is alive). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
