/**
 * Opening a PDF the cloud made (receipts, posters, letters): the function answers with a
 * temporary link, downloaded with `wx.downloadFile` and shown with `wx.openDocument`, from where
 * staff print or forward it. Generated files are never readable by file id from the mini-program
 * (storage rules, docs/security.md): the link, made by a function that checked who asks, is the
 * only way in. When the file cannot be opened, the link is copied so it can be printed from a
 * computer's browser. The link's host (the environment's storage domain) must be one of the
 * mini-program's downloadFile domains (README "Go live").
 */
export interface CloudPdf {
  fileID: string;
  tempFileURL: string;
}

export async function openCloudPdf(file: CloudPdf): Promise<void> {
  wx.showLoading({ title: '正在打开', mask: true });
  try {
    const tempFilePath = await new Promise<string>((resolve, reject) =>
      wx.downloadFile({
        url: file.tempFileURL,
        success: (r) =>
          r.statusCode === 200
            ? resolve(r.tempFilePath)
            : reject(new Error(`download failed: HTTP ${r.statusCode}`)),
        fail: reject,
      }),
    );
    wx.hideLoading();
    await new Promise<void>((resolve, reject) =>
      wx.openDocument({
        filePath: tempFilePath,
        fileType: 'pdf',
        showMenu: true,
        success: () => resolve(),
        fail: reject,
      }),
    );
  } catch {
    wx.hideLoading();
    wx.setClipboardData({
      data: file.tempFileURL,
      success: () =>
        wx.showToast({
          title: '文件链接已复制，可在电脑浏览器中打开打印',
          icon: 'none',
          duration: 2500,
        }),
    });
  }
}

/**
 * An Excel file the cloud made (roster, reports) in WeChat's viewer, which can forward or save
 * it. When it cannot be opened the page keeps a link to it: `retry` says where.
 */
export async function openCloudSheet(
  file: { fileID: string; fileName: string },
  retry: string,
): Promise<void> {
  try {
    const dl = await wx.cloud.downloadFile({ fileID: file.fileID });
    await wx.openDocument({ filePath: dl.tempFilePath, fileType: 'xlsx', showMenu: true });
  } catch {
    wx.showToast({ title: `${file.fileName} 已生成，${retry}`, icon: 'none', duration: 2500 });
  }
}
