/** The command table: one entry per file in this folder, in the order `--help` lists them. */
import type { Command } from '../command.js';
import { analyticsCommand } from './analytics.js';
import { oracleCommand } from './oracle.js';
import { mergeDriverCommand } from './merge-driver.js';

export const commands: Command[] = [analyticsCommand, oracleCommand, mergeDriverCommand];
