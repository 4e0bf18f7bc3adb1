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
 * `data.communityId` and `data.scope` are set before load() runs. A page reads its query in
 * `prepare(query)` (it must not define onLoad); 重新加载 asks for the scope again.
 */
import type { StaffRole } from '../domain/community/vocabulary';
import { messageOf } from '../services/cloud';
import { staffScope, type StaffScope } from '../admin/scope';
import { pageState } from './page-state';

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
}

export function staffPage(options: StaffPageOptions) {
  return Behavior({
    behaviors: [pageState],
    data: {
      communityId: '',
      scope: null as StaffScope | null,
    },
    methods: {
      onLoad(query: Query = {}) {
        (this as unknown as StaffPageHooks).prepare?.(query);
        void this.start();
      },
      onRetry() {
        void this.start();
      },
      /** Scope, then the page's load(), with the states around both. */
      async start(): Promise<void> {
        this.setData({ status: 'loading' });
        try {
          const scope = await staffScope(options.roles);
          if (!scope) {
            this.setData({ status: 'forbidden' });
            return;
          }
          this.setData({
            communityId: scope.communityId,
            scope,
            ...(options.showFirst ? { status: 'ready' } : {}),
          });
        } catch (err) {
          this.setData({ status: 'error', errorMessage: messageOf(err) });
          return;
        }
        await this.reload();
      },
    },
  });
}
