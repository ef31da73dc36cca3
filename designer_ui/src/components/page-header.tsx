import type { ReactNode } from "react";

export function PageHeader({ title, extra, children }: { title: ReactNode; extra?: ReactNode; children?: ReactNode }) {
  return (
    <div className="qb-page-header">
      <h1>{title}</h1>
      {children}
      {extra && <div className="qb-page-actions">{extra}</div>}
    </div>
  );
}
