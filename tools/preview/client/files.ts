/** Temporary files (wxfile://tmp_…) as WeChat hands them out, backed by browser Blobs. */

const temp = new Map<string, { blob: Blob; url: string; name: string }>();
let counter = 0;

export function addTempFile(blob: Blob, name: string): string {
  const ext = (/\.[A-Za-z0-9]+$/.exec(name)?.[0] ?? '').toLowerCase();
  const path = `wxfile://tmp_${Date.now().toString(36)}${(counter++).toString(36)}${ext}`;
  temp.set(path, { blob, url: URL.createObjectURL(blob), name });
  return path;
}

export function tempFile(path: string): { blob: Blob; name: string } | undefined {
  return temp.get(path);
}

/**
 * What an <image src> should load: temp files and cloud file ids map to local URLs. A cloud file
 * is read as the preview's user, so the storage rules decide (as WeChat does for `cloud://` ids).
 */
export function resolveTempUrl(src: string): string {
  if (!src) return '';
  const t = temp.get(src);
  if (t) return t.url;
  if (src.startsWith('cloud://')) {
    const { gateway, user } = window.__PREVIEW__;
    const q = new URLSearchParams({ fileID: src, openid: user.openid });
    return `${gateway}/gateway/file?${q}`;
  }
  if (/^(https?:|data:|blob:)/.test(src)) return src;
  // a package path ("/images/x.png"): not shipped to the preview
  return '';
}
