/**
 * setup: prepares a cloud environment, idempotently — every collection the code uses, the default
 * operating settings, and the versioned data migrations — and answers with the indexes and the
 * security rules to apply in the console. Running it again changes nothing.
 *
 * Run it from the cloud console (云端测试, SOURCE=wx_devtools) or, locally,
 * `curl -XPOST 127.0.0.1:8787/dev/call/setup -d '{"event":{"action":"run"},"source":"wx_devtools"}'`.
 * From the mini-program only an admin may run it.
 */
import { setupContracts } from '../../../miniprogram/domain/setup/contract';
import { createRouter } from '../../_shared/router';
import { run } from './actions/run';

export const main = createRouter('setup', setupContracts, { run });
