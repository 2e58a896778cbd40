import { runApiPod } from './pods/apiPod.js';

/** The api pod: `chronicle worker api`, or this file directly. PORT from the environment. */
await runApiPod();
