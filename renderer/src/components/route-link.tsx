/**
 * A link to a view of the app: its href is the route's hash (so it can be copied or bookmarked), and a
 * click hands the route to `onOpen` (usually the nav store's `go`) instead of following the link.
 */
import type { ReactNode } from 'react';
import { type Route, routeHash } from '../stores/nav';

/** The link. */
export function RouteLink({
  route,
  onOpen,
  children,
}: {
  route: Route;
  onOpen: (route: Route) => void;
  children: ReactNode;
}) {
  return (
    <a
      href={routeHash(route)}
      onClick={(event) => {
        event.preventDefault();
        onOpen(route);
      }}
    >
      {children}
    </a>
  );
}
