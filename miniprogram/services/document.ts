/**
 * Opening a file the cloud hands out: generated PDFs and spreadsheets (receipts, posters, letters,
 * roster and report exports) and files another user uploaded (invoice documents, adjustment
 * documents, expense vouchers). Such files are never readable by file id from the mini-program
 * (storage rules, docs/security.md): a function that checked who asks answers a temporary link,
 * downloaded here with `wx.downloadFile` and shown with `wx.openDocument` (images with
 * `wx.previewImage`), from where staff print or forward it. The link's host (the environment's
 * storage domain) must be one of the mini-program's downloadFile domains (README "Go live").
 */

/** A file as a function answers it: a temporary link. */
export interface CloudLink {
  tempFileURL: string;
}

const IMAGE = /\.(png|jpe?g|gif|webp|heic|svg)$/i;

function downloaded(url: string): Promise<string> {
  return new Promise<string>((resolve, reject) =>
    wx.downloadFile({
      url,
      success: (r) =>
        r.statusCode === 200
          ? resolve(r.tempFilePath)
          : reject(new Error(`download failed: HTTP ${r.statusCode}`)),
      fail: reject,
    }),
  );
}

/** Downloads a link and opens it in WeChat's viewer (`fileType` when the link does not say). */
async function openLink(url: string, fileType?: 'pdf' | 'xlsx'): Promise<void> {
  wx.showLoading({ title: '正在打开', mask: true });
  let filePath: string;
  try {
    filePath = await downloaded(url);
  } finally {
    wx.hideLoading();
  }
  await new Promise<void>((resolve, reject) =>
    wx.openDocument({
      filePath,
      ...(fileType ? { fileType } : {}),
      showMenu: true,
      success: () => resolve(),
      fail: reject,
    }),
  );
}

/** When a file cannot be opened here, its link goes to the clipboard for a computer's browser. */
function copyLink(url: string, title: string): void {
  wx.setClipboardData({
    data: url,
    success: () => wx.showToast({ title, icon: 'none', duration: 2500 }),
  });
}

export async function openCloudPdf(file: CloudLink): Promise<void> {
  try {
    await openLink(file.tempFileURL, 'pdf');
  } catch {
    copyLink(file.tempFileURL, '文件链接已复制，可在电脑浏览器中打开打印');
  }
}

/**
 * An Excel file the cloud made (roster, reports) in WeChat's viewer, which can forward or save
 * it. When it cannot be opened the page keeps a link to it: `retry` says where.
 */
export async function openCloudSheet(
  file: CloudLink & { fileName: string },
  retry: string,
): Promise<void> {
  try {
    await openLink(file.tempFileURL, 'xlsx');
  } catch {
    wx.showToast({ title: `${file.fileName} 已生成，${retry}`, icon: 'none', duration: 2500 });
  }
}

/**
 * A document someone else uploaded (an invoice, a price adjustment's evidence, a voucher): an
 * image is previewed, anything else opened; when that fails, the link is copied.
 */
export async function openCloudDocument(url: string, what = '文件'): Promise<void> {
  if (!url) return;
  if (IMAGE.test(url.split('?')[0]!)) {
    wx.previewImage({ urls: [url], current: url });
    return;
  }
  try {
    await openLink(url);
  } catch {
    copyLink(url, `${what}链接已复制，可在浏览器中打开`);
  }
}
