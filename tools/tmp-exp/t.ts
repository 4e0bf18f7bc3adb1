import { startCloud } from '../cloud/server';
(async () => {
  const cloud = await startCloud({ port: 0, quiet: true, timers: false });
  Object.assign(process.env, cloud.env());
  const sdk = require('wx-server-sdk');
  sdk.init({ env: sdk.DYNAMIC_CURRENT_ENV });
  const db = sdk.database();
  await db.createCollection('x');
  try {
    const r = await db.runTransaction(async (t: any) => {
      try { const d = await t.collection('x').doc('nope').get(); console.log('got', d); } catch (e) { console.log('txn get missing threw', (e as Error).message); }
      await t.collection('x').doc('nope').set({ data: { a: 1 } });
      return 5;
    });
    console.log('txn result', r);
  } catch (e) { console.log('txn err', e); }
  console.log(await db.collection('x').doc('nope').get());
  const many = await db.collection('x').add({ data: [{ _id: 'a1', v: 1 }, { v: 2 }] });
  console.log(many);
  try { await db.collection('x').add({ data: [{ _id: 'a1', v: 1 }] }); } catch (e) { console.log('dup', (e as any).errCode, (e as Error).message.slice(0,200)); }
  const up = await sdk.uploadFile({ cloudPath: 'imports/t.csv', fileContent: Buffer.from('a,b\n1,2') });
  console.log(up);
  const dl = await sdk.downloadFile({ fileID: up.fileID });
  console.log(dl.fileContent.toString());
  try { await sdk.downloadFile({ fileID: 'cloud://local-dev.local-bucket/nope.csv' }); } catch (e) { console.log('dl missing', (e as Error).message); }
  const tmp = await sdk.getTempFileURL({ fileList: [up.fileID] });
  console.log(tmp.fileList[0]);
  await cloud.close();
})();
