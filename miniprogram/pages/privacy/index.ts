/**
 * 隐私说明: the personal-information notice (domain/privacy.ts) as the owner reads it — what is
 * collected and why, on what basis, who sees it and how long it is kept, then the rest.
 */
import { PRIVACY_NOTICE } from '../../domain/community/privacy';
import { elderBehavior } from '../../behaviors/elder';
import { formatDate } from '../../domain/kernel/time';

Component({
  behaviors: [elderBehavior],
  data: {
    notice: PRIVACY_NOTICE,
    effectiveText: formatDate(PRIVACY_NOTICE.effectiveDate),
  },
  methods: {},
});
