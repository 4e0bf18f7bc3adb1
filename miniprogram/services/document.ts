/**
 * Opening a PDF the cloud made (receipts, posters, letters): downloaded with
 * `wx.cloud.downloadFile` (no download-domain setup needed) and shown with `wx.openDocument`,
 * from where staff print or forward it. When it cannot be opened, the temporary link is copied
 * so it can be printed from a computer's browser.
 */
export interface CloudPdf {
  fileID: string;
  tempFileURL: string;
}

export async function openCloudPdf(file: CloudPdf): Promise<void> {
  wx.showLoading({ title: '正在打开', mask: true });
  try {
    const { tempFilePath } = await wx.cloud.downloadFile({ fileID: file.fileID });
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
