/**
 * print: the one function that renders PDFs. It bundles pdf-lib and fontkit and ships the font
 * (a build-time subset, `fonts/`), so no other function pays for them on a cold start. Others
 * hand it a `PrintDoc` through `cloud.callFunction` (cloudfunctions/_shared/print-file.ts) and
 * get back the stored file. Only other functions may call it: see actions/render.ts.
 */
import { printContracts } from '../../../miniprogram/domain/print/contract';
import { createRouter } from '../../_shared/router';
import { render } from './actions/render';

export const main = createRouter('print', printContracts, { render });
