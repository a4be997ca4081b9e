import * as React from "react";

/**
 * React.lazy for a named export, with `preload()` to start fetching the chunk early (on hover, or
 * alongside the request whose data the component shows). Keeps code that is not on screen at first
 * paint — dialogs, menus, views of data that is still loading — out of the first-load bundle.
 */
export function lazyNamed<M, K extends keyof M>(load: () => Promise<M>, name: K) {
  let promise: Promise<M> | undefined;
  const preload = () => {
    promise ??= load().catch((error: unknown) => {
      promise = undefined; // let a later render try again
      throw error;
    });
    return promise;
  };
  const Component = React.lazy(async () => ({
    default: (await preload())[name] as React.ComponentType<unknown>,
  })) as unknown as React.LazyExoticComponent<
    M[K] extends React.ComponentType<infer P> ? React.ComponentType<P> : never
  >;
  return Object.assign(Component, { preload });
}
