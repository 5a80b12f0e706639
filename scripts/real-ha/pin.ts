// The one place that says which Home Assistant the real-HA tests run. Change HA_VERSION and run
// `npm run ha:real`: provisioning is cached per version, so a new pin builds a new cache beside the
// old one. 2026.3 and later need Python >= 3.14, which Debian 12 lacks: the Python comes from a
// minimal Debian root of the suite below (its python3 is 3.14).
// 2026.10.4 rather than the newer 2026.11.0: the companion integration's pytest suite runs on
// pytest-homeassistant-custom-component, whose newest release (0.13.375) pins exactly this HA, and
// the integration must be tested on the same HA the end-to-end tests run.
export const HA_VERSION = '2026.10.4';

/** The Debian suite whose python3 satisfies HA_VERSION's requires-python. */
export const DEBIAN_SUITE = 'sid';

/** What the Debian root needs: Python, venv, CAs; a compiler for the two sdists HA's voice
 * pipeline depends on (pymicro-vad, pyspeex-noise publish no cp314 wheels); libturbojpeg for the
 * camera integration's image helper. */
export const DEBIAN_PACKAGES = ['python3', 'python3-venv', 'python3-dev', 'g++', 'ca-certificates', 'libturbojpeg0'];
