export function FormDesignerPage() { return null; }
