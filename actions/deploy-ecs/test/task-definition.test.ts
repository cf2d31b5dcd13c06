import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ConfigurationError } from '@notebook-ship/action-kit';
import {
  chooseContainer,
  parseTaskDefinitionFile,
  renderTaskDefinition,
  sameDefinition,
  toRegisterInput,
  type TaskDefinitionInput,
} from '../src/task-definition';

// Real DescribeTaskDefinition payloads: the AWS CLI reference example, a Fargate revision as the CLI printed it,
// and one shaped like the notebook's own (sidecar, secrets, CloudFormation and deploy-ecs tags).
function fixture(name: string): { taskDefinition: Record<string, unknown>; tags: Array<{ key: string; value: string }> } {
  return JSON.parse(readFileSync(new URL(`fixtures/${name}.json`, import.meta.url), 'utf8'));
}
const helloWorld = fixture('describe-hello-world');
const fargate = fixture('describe-fargate-tagged');
const notebook = fixture('describe-notebook');

const DESCRIBE_ONLY = ['taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt', 'registeredBy'];
const noChange = { image: '', containerName: '', environment: new Map<string, string>() };

describe('toRegisterInput', () => {
  it('strips the describe-only fields and keeps everything else, tags included', () => {
    const input = toRegisterInput(fargate.taskDefinition, fargate.tags);
    for (const field of DESCRIBE_ONLY) expect(input).not.toHaveProperty(field);
    const kept = Object.keys(fargate.taskDefinition).filter((key) => !DESCRIBE_ONLY.includes(key));
    expect(Object.keys(input).sort()).toEqual([...kept, 'tags'].sort());
    expect(input.runtimePlatform).toEqual({ cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' });
    expect(input.tags).toEqual([{ key: 'Name', value: 'ContainerHandsOn' }]);
  });

  it("drops deploy-ecs's own history tags and the reserved aws: tags, which ECS would refuse", () => {
    const input = toRegisterInput(notebook.taskDefinition, notebook.tags);
    expect(input.tags).toEqual([{ key: 'app', value: 'notebook' }]);
  });

  it('omits tags when there are none, and nulls that older CLI output prints for unset fields', () => {
    const input = toRegisterInput(
      { ...helloWorld.taskDefinition, ipcMode: null, containerDefinitions: [{ name: 'a', image: 'x', linuxParameters: null }] },
      helloWorld.tags,
    );
    expect(input).not.toHaveProperty('tags');
    expect(input).not.toHaveProperty('ipcMode');
    expect(input.containerDefinitions).toEqual([{ name: 'a', image: 'x' }]);
  });
});

describe('chooseContainer', () => {
  it('takes the only essential container, ignoring non-essential sidecars', () => {
    expect(chooseContainer(toRegisterInput(notebook.taskDefinition), '').name).toBe('notebook');
    expect(chooseContainer(toRegisterInput(fargate.taskDefinition), '').name).toBe('ContainerHandsOn');
  });

  it('asks for container-name when several containers are essential, listing them', () => {
    const input = toRegisterInput(helloWorld.taskDefinition);
    expect(() => chooseContainer(input, '')).toThrow(ConfigurationError);
    expect(() => chooseContainer(input, '')).toThrow(
      'Task definition family "hello_world" has 2 essential containers ("wordpress", "mysql") among "wordpress", "mysql": ' +
        'set container-name to the one that gets the new image.',
    );
    expect(chooseContainer(input, 'mysql').name).toBe('mysql');
  });

  it('names the containers when container-name matches none', () => {
    expect(() => chooseContainer(toRegisterInput(notebook.taskDefinition), 'web')).toThrow(
      'Container "web" is not in task definition family "notebook"; its containers are "notebook", "log-router". ' +
        'Fix the container-name input.',
    );
  });
});

describe('renderTaskDefinition', () => {
  const base = toRegisterInput(notebook.taskDefinition, notebook.tags);
  const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/notebook@sha256:' + 'a'.repeat(64);

  it('swaps the image of the chosen container and leaves the rest, and the base, untouched', () => {
    const before = structuredClone(base);
    const { definition: rendered, containerName } = renderTaskDefinition(base, { ...noChange, image });
    expect(containerName).toBe('notebook');
    expect(base).toEqual(before);
    expect(rendered.containerDefinitions?.[0]?.image).toBe(image);
    expect({ ...rendered, containerDefinitions: undefined }).toEqual({ ...base, containerDefinitions: undefined });
    expect(rendered.containerDefinitions?.[1]).toEqual(base.containerDefinitions?.[1]);
  });

  it('replaces same-named variables in place and appends new ones', () => {
    const environment = new Map([
      ['APP_VERSION', '9c8b7a6'],
      ['FEATURE_X', 'on'],
    ]);
    const { definition: rendered } = renderTaskDefinition(base, { ...noChange, environment });
    expect(rendered.containerDefinitions?.[0]?.environment).toEqual([
      { name: 'APP_VERSION', value: '9c8b7a6' },
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'FEATURE_X', value: 'on' },
    ]);
  });

  it('refuses a variable that the container already gets from secrets', () => {
    expect(() =>
      renderTaskDefinition(base, { ...noChange, environment: new Map([['DATABASE_URL', 'postgres://x']]) }),
    ).toThrow('Container "notebook" already gets DATABASE_URL from secrets');
  });

  it('targets the named container in a definition with several essential ones', () => {
    const { definition: rendered, containerName } = renderTaskDefinition(toRegisterInput(helloWorld.taskDefinition), {
      ...noChange,
      image: 'mysql:8.4',
      containerName: 'mysql',
    });
    expect(containerName).toBe('mysql');
    expect(rendered.containerDefinitions?.map((container) => container.image)).toEqual(['wordpress', 'mysql:8.4']);
  });

  it('copies the base as-is when there is nothing to change, whatever the containers', () => {
    const input = toRegisterInput(helloWorld.taskDefinition);
    expect(renderTaskDefinition(input, noChange)).toEqual({ definition: input, containerName: '' });
  });
});

describe('sameDefinition', () => {
  const running = toRegisterInput(notebook.taskDefinition, notebook.tags);

  it('is true for a render that changes nothing (same image, same environment value)', () => {
    const image = notebook.taskDefinition.containerDefinitions as Array<{ image: string }>;
    const { definition: rendered } = renderTaskDefinition(running, {
      ...noChange,
      image: (image[0] as { image: string }).image,
      environment: new Map([['LOG_LEVEL', 'info']]),
    });
    expect(sameDefinition(rendered, running)).toBe(true);
  });

  it('is false as soon as the image or a variable differs', () => {
    const render = (change: Partial<typeof noChange>) => renderTaskDefinition(running, { ...noChange, ...change }).definition;
    expect(sameDefinition(render({ image: 'notebook:next' }), running)).toBe(false);
    expect(sameDefinition(render({ environment: new Map([['LOG_LEVEL', 'debug']]) }), running)).toBe(false);
  });

  it('ignores key order, tag order and absent-versus-empty fields', () => {
    const reordered = Object.fromEntries(Object.entries(running).reverse()) as TaskDefinitionInput;
    expect(Object.keys(reordered)).not.toEqual(Object.keys(running));
    const shuffled: TaskDefinitionInput = {
      ...reordered,
      tags: [...(running.tags ?? [])].reverse(),
      volumes: undefined,
      placementConstraints: [],
      inferenceAccelerators: [],
    };
    expect(sameDefinition(shuffled, running)).toBe(true);
  });

  it('tells a changed tag apart', () => {
    expect(sameDefinition({ ...running, tags: [{ key: 'app', value: 'other' }] }, running)).toBe(false);
  });
});

describe('parseTaskDefinitionFile', () => {
  it('reads DescribeTaskDefinition output, with its tags', () => {
    const input = parseTaskDefinitionFile(JSON.stringify(fargate), 'taskdef.json');
    expect(input).toEqual(toRegisterInput(fargate.taskDefinition, fargate.tags));
  });

  it('reads RegisterTaskDefinition input, with its tags', () => {
    const register = { ...toRegisterInput(fargate.taskDefinition), tags: [{ key: 'team', value: 'data' }] };
    expect(parseTaskDefinitionFile(JSON.stringify(register), 'taskdef.json')).toEqual(register);
  });

  it('says which file is broken and how', () => {
    expect(() => parseTaskDefinitionFile('{"family": ', 'deploy/taskdef.json')).toThrow(
      /^Task definition file deploy\/taskdef.json is not valid JSON: /,
    );
    expect(() => parseTaskDefinitionFile('{"family": "x", "containerDefinitions": []}', 'taskdef.json')).toThrow(
      'Task definition file taskdef.json needs a "family" and at least one entry in "containerDefinitions"',
    );
  });
});
