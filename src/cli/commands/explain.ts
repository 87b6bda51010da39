/** `aciseg explain`: the verdict for one query, with the rules that decide it on each side. */
import { Option } from 'commander';
import { EndpointError, resolveEndpoint } from '../../analyze/endpoints';
import { explain, type QueryProtocol } from '../../analyze/explain';
import { InputError, UsageError } from '../../errors';
import { IntervalSet, portDomain } from '../../net/interval-set';
import { rendererFor } from '../../render/registry';
import {
  addOptions,
  formatOption,
  outputOptions,
  serviceTagsOption,
  verbosityOptions,
} from '../common-options';
import { loadEngine } from '../engine-input';
import { createLog, type VerbosityOptions } from '../log';
import { parsePortOption, parseProtocolOption } from '../options';
import { openOutput, type OutputOptions } from '../output';
import type { CommandRegistration } from '../program';

interface ExplainOptions extends OutputOptions, VerbosityOptions {
  from: string;
  to: string;
  port?: number;
  protocol: QueryProtocol;
  format: string;
  serviceTags?: string;
}

/** Registers `explain`. */
export const registerExplain: CommandRegistration = (program, ctx) => {
  const command = program
    .command('explain')
    .description(
      'Explain whether Azure policy (admin rules, then NSGs) allows traffic from one endpoint to another.',
    )
    .argument('<snapshot>', 'snapshot file written by aciseg import')
    .requiredOption(
      '--from <endpoint>',
      'source: a tag (Internet, VirtualNetwork, AzureLoadBalancer, *), resource ID, container group (name or cg:<name>), vnet/subnet, IPv4 address or CIDR',
    )
    .requiredOption('--to <endpoint>', 'destination, in the same forms as --from')
    .option('--port <n>', 'destination port (required unless --protocol icmp)', parsePortOption)
    .addOption(
      new Option('--protocol <protocol>', 'tcp, udp, icmp or * (all three)')
        .argParser(parseProtocolOption)
        .default('Tcp' as QueryProtocol, 'tcp'),
    );
  addOptions(command, [
    formatOption('explain'),
    ...outputOptions(),
    serviceTagsOption(),
    ...verbosityOptions(),
  ])
    .addHelpText(
      'after',
      `
Verdicts: allow (every flow allowed, any source port), deny (none), partial (some), unknown (depends on
something the snapshot does not resolve, such as a service tag without --service-tags).

Examples:
  aciseg explain estate.json --from Internet --to vnet-app/snet-aci-web --port 22
  aciseg explain estate.json --from web-frontend --to api-orders --port 8443 --format json
  aciseg explain estate.json --from 10.1.1.4 --to 10.1.2.0/24 --protocol icmp
`,
    )
    .action(async (snapshotFile: string, options: ExplainOptions) => {
      const log = createLog(ctx.io, options);
      const render = rendererFor('explain', options.format);
      const protocol = options.protocol;
      if (protocol !== 'Icmp' && options.port === undefined)
        throw new UsageError('--port is required unless --protocol icmp');
      const output = openOutput(ctx.io, options, [
        snapshotFile,
        ...(options.serviceTags === undefined ? [] : [options.serviceTags]),
      ]);
      const engine = log.phase('read snapshot and compile policy', () =>
        loadEngine(snapshotFile, { serviceTags: options.serviceTags, quiet: log.quiet }, ctx.io),
      );
      const from = resolveEndpoint(engine.index, options.from);
      const to = resolveEndpoint(engine.index, options.to);
      if (!from.ok || !to.ok) {
        const bad = (
          [
            ['--from', from],
            ['--to', to],
          ] as const
        ).flatMap(([flag, r]) =>
          r.ok ? [] : [{ ...r.diagnostic, message: `${flag}: ${r.diagnostic.message}` }],
        );
        throw new InputError(bad.map((d) => d.message).join('\n'), bad);
      }
      let result;
      try {
        const ports =
          protocol === 'Icmp' || options.port === undefined
            ? null
            : IntervalSet.range(portDomain, options.port, options.port);
        result = explain(engine, from.endpoint, to.endpoint, protocol, ports);
      } catch (e) {
        if (e instanceof EndpointError) throw new UsageError(e.message);
        throw e;
      }
      const explanation = result;
      await log.phase('write', () => output.emit(render(explanation)));
    });
};
