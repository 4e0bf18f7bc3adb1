/**
 * Every 工作台 page starts the same way: ask who the caller is (afresh: roles may have changed
 * since the app started), find the community they work in with a role the page needs
 * (admin/scope.ts), show 'forbidden' when there is none, else load. This behaviour does it, on
 * top of pageState (loading/ready/error, reload, submit):
 *
 *   Component({
 *     behaviors: [staffPage({ roles: ['finance'] })],
 *     methods: {
 *       async load() { … this.data.communityId … },
 *     },
 *   });
 *
 * Hooks a page may add: `prepare(query)` reads the page's query when it opens (a page must not
 * define onLoad); `begin(scope)` does what is needed once per opening before the first load()
 * (a list of colleagues, the meter items), and may return a status to show instead ('empty').
 * `data.communityId` and `data.staffScope` are set before begin() and load() run. 重新加载 starts
 * again from the scope. It lives in the admin subpackage with the pages it serves: owners never
 * download it, and the main package may not require subpackage code (admin/scope.ts).
 */
import type { StaffRole } from '../domain/community/vocabulary';
import { messageOf } from '../services/cloud';
import { staffScope, type StaffScope } from './scope';
import { pageState, type PageStatus } from '../behaviors/page-state';

export interface StaffPageOptions {
  /** Roles that may open the page (admin may open every page); ['admin'] for admins only. */
  roles: readonly StaffRole[];
  /**
   * Show the page as soon as the scope is known, and load() after: for pages whose lists show
   * their own loading and error lines, so the search form is usable while the list comes.
   */
  showFirst?: boolean;
}

type Query = Record<string, string | undefined>;

interface StaffPageHooks {
  prepare?: (query: Query) => void;
  begin?: (scope: StaffScope) => Promise<PageStatus | void> | PageStatus | void;
}

export function staffPage(options: StaffPageOptions) {
  return Behavior({
    behaviors: [pageState],
    data: {
      communityId: '',
      // not `scope`: pages use that word for their own filters (工单 open/resolved/…)
      staffScope: null as StaffScope | null,
    },
    methods: {
      onLoad(query: Query = {}) {
        (this as unknown as StaffPageHooks).prepare?.(query);
        void this.start();
      },
      onRetry() {
        void this.start();
      },
      /** Scope, begin() and the page's load(), with the states around them. */
      async start(): Promise<void> {
        const page = this as unknown as StaffPageHooks;
        this.setData({ status: 'loading' });
        try {
          const scope = await staffScope(options.roles);
          if (!scope) {
            this.setData({ status: 'forbidden' });
            return;
          }
          this.setData({ communityId: scope.communityId, staffScope: scope });
          const instead = await page.begin?.(scope);
          if (instead) {
            this.setData({ status: instead });
            return;
          }
          if (options.showFirst) this.setData({ status: 'ready', errorMessage: '' });
        } catch (err) {
          this.setData({ status: 'error', errorMessage: messageOf(err) });
          return;
        }
        await this.reload();
      },
    },
  });
}
