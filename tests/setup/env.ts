// setupFiles entry of every jest project: fail fast if the Beijing time zone did not take effect
// (jest.config.js sets TZ before workers start).
if (new Date(0).getTimezoneOffset() !== -480) {
  throw new Error(
    `tests must run with TZ=Asia/Shanghai (got TZ=${process.env.TZ ?? 'unset'}); run them through jest.config.js`,
  );
}

export {};
