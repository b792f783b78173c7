// A page whose code is fetched when it is first shown (a dynamic import, its own chunk), so the
// console's first load carries only the shell: signing in and the navigation.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ProblemMessage } from './ProblemMessage';

export type PageLoader<P> = () => Promise<ComponentType<P>>;

/** Renders the component `load` resolves to with `props`, announcing the wait and any failure. */
export function LazyPage<P extends object>({ load, props }: { load: PageLoader<P>; props: P }) {
  const [loaded, setLoaded] = useState<{ Page: ComponentType<P> } | null>(null);
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let current = true;
    setLoaded(null);
    load().then(
      (Page) => {
        if (current) setLoaded({ Page });
      },
      (caught: unknown) => {
        if (current) setError(caught);
      },
    );
    return () => {
      current = false;
    };
  }, [load]);
  if (error !== undefined) return <ProblemMessage error={error} />;
  if (loaded === null) return <p aria-live="polite">Loading the page…</p>;
  const { Page } = loaded;
  return <Page {...props} />;
}
