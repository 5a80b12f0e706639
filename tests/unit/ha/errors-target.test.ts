// Where each HA target is reached, and how the library's failures become errors an agent can
// act on (a code) and a user can read (a message that never carries the token).
import { ERR_CANNOT_CONNECT, ERR_CONNECTION_LOST, ERR_INVALID_AUTH } from 'home-assistant-js-websocket';
import { describe, expect, it } from 'vitest';
import { toHaError } from '../../../server/src/ha/errors.ts';
import { endpointsFor } from '../../../server/src/ha/target.ts';

describe('endpointsFor', () => {
  it('uses the Supervisor proxy paths: /core/api for REST and /core/websocket', () => {
    expect(endpointsFor('supervisor', 'http://supervisor/core', 't')).toEqual({ mode: 'supervisor', restBase: 'http://supervisor/core/api', wsUrl: 'ws://supervisor/core/websocket', token: 't' });
  });

  it('uses /api and /api/websocket for a direct URL, keeping TLS and a path prefix', () => {
    expect(endpointsFor('direct', 'https://ha.example.org/prefix/', 't')).toMatchObject({ restBase: 'https://ha.example.org/prefix/api', wsUrl: 'wss://ha.example.org/prefix/api/websocket' });
  });
});

describe('toHaError', () => {
  it('maps the library error numbers', () => {
    expect(toHaError(ERR_INVALID_AUTH).code).toBe('auth_invalid');
    expect(toHaError(ERR_CANNOT_CONNECT).code).toBe('cannot_connect');
    expect(toHaError(ERR_CONNECTION_LOST, 'light.turn_on').message).toBe('light.turn_on failed: the connection to Home Assistant was lost.');
  });

  it('keeps HA own code and message for failed commands', () => {
    const err = toHaError({ code: 'service_validation_error', message: 'Provided temperature 40.0 is not valid.' }, 'climate.set_temperature');
    expect(err.code).toBe('service_validation_error');
    expect(err.message).toBe('climate.set_temperature failed: Provided temperature 40.0 is not valid. (service_validation_error)');
    expect(toHaError({ code: 'something_new', message: 'x' }).code).toBe('home_assistant_error');
  });
});
