/**
 * Staff lists that come a page at a time (issue 16: at 20,000 rooms a whole list is megabytes,
 * and setData takes at most 1 MB). With pageState's `fillList`, a page asks for the first page in
 * `loadList(false)` and the next with `loadList(true)`; 加载更多 (`onMore`) and scrolling to the
 * bottom (`onReachBottom`) ask for it. The server's `total` and `nextCursor` land in data:
 *
 *   loadList(more = false) {
 *     return this.fillPage(more, (page) => callQuiet('fee', 'vacancies', { …, ...page }),
 *       (answer) => this.appendRows('items', answer.items.map(toRow), more));
 *   }
 */
type PageAsk = { limit: number; cursor?: string };
type PageAnswer = { nextCursor: string | null; total: number };

interface PagedHost {
  data: Record<string, unknown> & { nextCursor: string | null; listLoading?: boolean };
  setData(d: Record<string, unknown>): void;
  fillList<T>(ask: () => Promise<T>, show: (answer: T) => void): Promise<void>;
  loadList(more?: boolean): Promise<void>;
}

/** Items a page asks for. */
export const PAGE_SIZE = 50;

export const pagedList = Behavior({
  data: {
    total: 0,
    /** The next page of the shown list; null: everything is shown. */
    nextCursor: null as string | null,
  },
  methods: {
    /** One page (the first, or with `more` the next) through fillList's loading and error line. */
    fillPage<A extends PageAnswer>(
      more: boolean,
      ask: (page: PageAsk) => Promise<A>,
      show: (answer: A) => void,
    ): Promise<void> {
      const host = this as unknown as PagedHost;
      const cursor = host.data.nextCursor;
      if (!more) host.setData({ nextCursor: null });
      return host.fillList(
        () => ask({ limit: PAGE_SIZE, ...(more && cursor ? { cursor } : {}) }),
        (answer) => {
          show(answer);
          host.setData({ total: answer.total, nextCursor: answer.nextCursor });
        },
      );
    },
    /** The rows of a page: after those shown (`more`), or instead of them. */
    appendRows(key: string, rows: unknown[], more: boolean): void {
      const host = this as unknown as PagedHost;
      const shown = (host.data[key] as unknown[] | undefined) ?? [];
      host.setData({ [key]: more ? [...shown, ...rows] : rows });
    },
    onMore() {
      const host = this as unknown as PagedHost;
      if (host.data.nextCursor && !host.data.listLoading) void host.loadList(true);
    },
    onReachBottom() {
      (this as unknown as { onMore(): void }).onMore();
    },
  },
});
