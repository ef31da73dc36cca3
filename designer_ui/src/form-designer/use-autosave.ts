// Autosave of the draft (the form designer saves `form`, the flow designer `flow`): a short pause after the last edit, one save at a time, with
// the revision the edit started from (the server answers 409 draft_conflict when someone
// else saved meanwhile: nothing is overwritten; the designer offers to reload).
import { useCallback, useEffect, useRef, useState } from "react";

import { api, unwrap } from "../api/client";
import { ApiError } from "../api/errors";

/** What autosave needs from a designer's store (both designers' zustand stores fit). */
export interface SaveableState {
  version: number;
  savedVersion: number;
  revision: number;
  document(): unknown;
  markSaved(version: number, revision: number): void;
}

export interface SaveableStore {
  getState(): SaveableState;
  subscribe(listener: (current: SaveableState, previous: SaveableState) => void): () => void;
}

export type SaveState = "saved" | "dirty" | "saving" | "error" | "conflict";

const DELAY_MS = 1200;

export function useAutosave(store: SaveableStore, appKey: string, enabled: boolean, part: "form" | "flow" = "form") {
  const [state, setStateValue] = useState<SaveState>("saved");
  const [error, setError] = useState<string | null>(null);
  const stateRef = useRef<SaveState>("saved");
  const inflight = useRef<Promise<boolean> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const setState = useCallback((next: SaveState) => {
    stateRef.current = next;
    setStateValue(next);
  }, []);

  const putOnce = useCallback(async (): Promise<boolean> => {
    const snapshot = store.getState();
    const version = snapshot.version;
    setState("saving");
    try {
      const draft = await unwrap(
        api.PUT("/api/v1/apps/{key}/draft/", {
          params: { path: { key: appKey } },
          body: { expected_revision: snapshot.revision, [part]: snapshot.document() } as never,
        }),
      );
      store.getState().markSaved(version, draft.revision ?? snapshot.revision + 1);
      const latest = store.getState();
      setState(latest.version === latest.savedVersion ? "saved" : "dirty");
      setError(null);
      return true;
    } catch (caught) {
      setState(caught instanceof ApiError && caught.status === 409 ? "conflict" : "error");
      setError(caught instanceof Error ? caught.message : String(caught));
      return false;
    }
  }, [store, appKey, setState, part]);

  /** Save now (after any save in flight); true when the server has everything. */
  const saveNow = useCallback(async (): Promise<boolean> => {
    // One PUT at a time: waiters re-check after each save, and the check and the start of
    // the next save happen with no await in between, so two callers never send the same
    // revision twice.
    while (inflight.current) await inflight.current;
    const snapshot = store.getState();
    if (snapshot.version === snapshot.savedVersion) return true;
    if (stateRef.current === "conflict") return false; // only a reload can resolve it
    const run = putOnce();
    inflight.current = run;
    try {
      return await run;
    } finally {
      if (inflight.current === run) inflight.current = null;
    }
  }, [store, putOnce]);

  useEffect(() => {
    if (!enabled) return undefined;
    const unsubscribe = store.subscribe((current, previous) => {
      if (current.version === previous.version || current.version === current.savedVersion) return;
      if (stateRef.current === "conflict") return;
      if (stateRef.current !== "saving") setState("dirty");
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void saveNow(), DELAY_MS);
    });
    return () => {
      unsubscribe();
      if (timer.current) clearTimeout(timer.current);
    };
  }, [store, enabled, saveNow, setState]);

  // Closing or reloading the tab with unsaved edits asks first (in-app navigation is
  // guarded by the page with the router's blocker, which saves first).
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      const current = store.getState();
      if (current.version !== current.savedVersion) event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [store]);

  return { state, error, saveNow };
}
