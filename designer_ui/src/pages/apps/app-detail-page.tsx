export function AppDetailPage() { return null; }
