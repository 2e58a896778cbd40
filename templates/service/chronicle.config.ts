import { defineChronicle } from 'chronicle-runtime';
import { ticketStories } from './src/devTraffic.js';
import { ticket } from './src/ticket/index.js';
import { ticketsView } from './src/ticketsView.js';

/** This service's deployment: every `chronicle` command and pod runs it. */
export default defineChronicle({
  aggregates: [ticket],
  projections: [ticketsView],
  migrations: { folder: './migrations' },
  dev: { traffic: ticketStories, trafficSummary: 'tickets opened, assigned and resolved' },
});
