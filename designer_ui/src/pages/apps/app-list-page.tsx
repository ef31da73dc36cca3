export function AppListPage() { return null; }
