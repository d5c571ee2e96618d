/** Page through a long list: "rows a–b of n" with previous / next. */
export function Pager({ page, pageSize, total, onPage, testId }: { page: number; pageSize: number; total: number; onPage: (p: number) => void; testId?: string }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (total <= pageSize) return null;
  return (
    <div className="pager" data-testid={testId}>
      <span className="muted">
        rows {page * pageSize + 1}–{Math.min(total, (page + 1) * pageSize)} of {total}
      </span>
      <button type="button" className="btn btn-small" disabled={page === 0} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <button type="button" className="btn btn-small" disabled={page >= pages - 1} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </div>
  );
}
