// Runs a designer's regular expression on a sample away from the page: a pattern that
// backtracks for ages (e.g. ^(a+)+$ on "aaaa…!") would otherwise freeze the tab. The page
// kills this worker when it does not answer in time.
self.onmessage = (event: MessageEvent<{ id: number; pattern: string; sample: string }>) => {
  const { id, pattern, sample } = event.data;
  let result: "match" | "no_match" | "invalid";
  try {
    result = new RegExp(pattern).test(sample) ? "match" : "no_match";
  } catch {
    result = "invalid";
  }
  self.postMessage({ id, result });
};
