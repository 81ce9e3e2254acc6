import type { Scenario } from '../harness/scenario/types.ts';
import { apiserverLoad } from './apiserver-load/scenario.ts';
import { etcdDiskStall } from './etcd-disk-stall/scenario.ts';
import { imagePullStorm } from './image-pull-storm/scenario.ts';
import { nodeUnreachable } from './node-unreachable/scenario.ts';
import { podChurn } from './pod-churn/scenario.ts';
import { zoneOutage } from './zone-outage/scenario.ts';

/** Every scenario, by name (kube-burner's explicit name -> factory map). */
export const scenarios: Record<string, Scenario> = {
  [apiserverLoad.name]: apiserverLoad as unknown as Scenario,
  [imagePullStorm.name]: imagePullStorm as unknown as Scenario,
  [etcdDiskStall.name]: etcdDiskStall as unknown as Scenario,
  [nodeUnreachable.name]: nodeUnreachable as unknown as Scenario,
  [zoneOutage.name]: zoneOutage as unknown as Scenario,
  [podChurn.name]: podChurn as unknown as Scenario,
};

export const scenarioNames = (): string[] => Object.keys(scenarios);
