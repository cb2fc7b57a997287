import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, type Route } from './route';

describe('routes', () => {
  it.each<Route>([
    { name: 'home' },
    { name: 'devices' },
    { name: 'hub' },
    { name: 'conversation', id: 'general' },
    { name: 'conversation', id: 'Qq-_9z' },
  ])('round-trips %j', (route) => expect(parseRoute(routeHref(route))).toEqual(route));

  it('treats anything else as home', () => {
    expect(parseRoute('')).toEqual({ name: 'home' });
    expect(parseRoute('#join=abc')).toEqual({ name: 'home' });
    expect(parseRoute('#/c/not%20an%20id')).toEqual({ name: 'home' });
  });
});
