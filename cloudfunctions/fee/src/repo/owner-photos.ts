/**
 * Owners' photos of their meters: the page uploads them to `readings/<openid>/<name>.<ext>` (the
 * `readings` upload folder), and `submitReading` accepts a photo only from the caller's own
 * folder and only when it is there — another owner's photo, a generated file or anything else is
 * refused naming the field (docs/security.md). Staff see photos only as temporary links
 * (`fileLinks`), made after their role was checked.
 */
import type { UploadPlace } from '../../../_shared/uploads';

export function photoPlace(openid: string): UploadPlace {
  return {
    folder: 'readings',
    prefix: `readings/${openid}/`,
    refusal: '请在本页给表拍照上传后再提交',
  };
}
