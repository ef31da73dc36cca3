// Which of the two names to show: English in the English UI when there is one, else Chinese.
export function displayName(zh: string, en: string | undefined | null, language: string): string {
  return language === "en" && en ? en : zh;
}
