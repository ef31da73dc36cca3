// Autosave of the draft form: a short pause after the last edit, one save at a time, with
// the revision the edit started from (the server answers 409 draft_conflict when someone
// else saved meanwhile: nothing is overwritten; the designer offers to reload).
import { useCallback, useEffect, useRef, useState } from "react";

import { api, unwrap } from "../api/client";
import { ApiError } from "../api/errors";
import type { DesignerStore } from "./store";

export type SaveState = "saved" | "dirty" | "saving" | "error" | "conflict";

const DELAY_MS = 1200;

export function useAutosave(store: DesignerStore, appKey: string, enabled: boolean) {
  const [state, setState] = useState<SaveState>("saved");
  const [error, setError] = useState<string | null>(null);
  const saving = useRef<Promise<boolean> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const saveNow = useCallback(async (): Promise<boolean> => {
    if (saving.current) await saving.current;
    const snapshot = store.getState();
    if (snapshot.version === snapshot.savedVersion) return true;
    const version = snapshot.version;
    const run = (async () => {
      setState("saving");
      try {
        const draft = await unwrap(
          api.PUT("/api/v1/apps/{key}/draft/", {
            params: { path: { key: appKey } },
            body: { expected_revision: snapshot.revision, form: snapshot.document() },
          }),
        );
        store.getState().markSaved(version, draft.revision ?? snapshot.revision + 1);
        const latest = store.getState();
        setState(latest.version === latest.savedVersion ? "saved" : "dirty");
        setError(null);
        return true;
      } catch (caught) {
        if (caught instanceof ApiError && caught.status === 409) {
          setState("conflict");
        } else {
          setState("error");
        }
        setError(caught instanceof Error ? caught.message : String(caught));
        return false;
      } finally {
        saving.current = null;
      }
    })();
    saving.current = run;
    return run;
  }, [store, appKey]);

  useEffect(() => {
    if (!enabled) return undefined;
    const unsubscribe = store.subscribe((current, previous) => {
      if (current.version === previous.version) return;
      if (current.version === current.savedVersion) return;
      setState((value) => (value === "conflict" ? value : "dirty"));
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        if (store.getState().version !== store.getState().savedVersion) void saveNow();
      }, DELAY_MS);
    });
    return () => {
      unsubscribe();
      if (timer.current) clearTimeout(timer.current);
    };
  }, [store, enabled, saveNow]);

  // Leaving with unsaved edits asks first.
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      const current = store.getState();
      if (current.version !== current.savedVersion) {
        event.preventDefault();
      }
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [store]);

  return { state, error, saveNow };
}
