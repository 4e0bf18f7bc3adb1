/**
 * Something a test file starts and must close (a local cloud, a browser harness): started before
 * each test or once for the file, closed after. What `useStarted` returns stands for whichever
 * one is running, so a test uses it as it would the thing itself.
 */
export function useStarted<T extends { close(): Promise<void> }>(
  start: () => Promise<T>,
  per: 'test' | 'file',
  timeoutMs?: number,
): T {
  let current: T | undefined;
  (per === 'file' ? beforeAll : beforeEach)(async () => {
    current = await start();
  }, timeoutMs);
  (per === 'file' ? afterAll : afterEach)(async () => {
    await current?.close();
    current = undefined;
  });
  return new Proxy({} as T, {
    get(_, prop) {
      if (!current) throw new Error('it runs only inside a test (or its hooks)');
      return Reflect.get(current, prop) as unknown;
    },
  });
}
