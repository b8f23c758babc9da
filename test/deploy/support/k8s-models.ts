/**
 * Checking a Kubernetes manifest with the `kubernetes-models` packages (the API's own OpenAPI
 * schemas, compiled to validators): each object is built as its model and validated, so a wrong
 * type, a bad enum value or a missing required field fails. The schemas allow fields they do not
 * define (as the API server does, with a warning), so a misspelled field (`completionMod`) would
 * pass; `unknownFields` finds those by running the same compiled validator over a proxy that
 * records every field the schema looked at: a field it never read is not in the schema.
 */
import { Job } from "kubernetes-models/batch/v1/Job";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { validate as validateJob } from "kubernetes-models/_schemas/IoK8sApiBatchV1Job";
import { validate as validateConfigMap } from "kubernetes-models/_schemas/IoK8sApiCoreV1ConfigMap";

interface KindModel {
  /** Builds the model and validates it; throws with the schema's words when it does not fit. */
  check(data: object): void;
  /** The compiled schema validator (for `unknownFields`). */
  schema(data: unknown): boolean;
}

/** The kinds the deploy manifests use, by `apiVersion/kind`. */
const MODELS: Record<string, KindModel> = {
  "v1/ConfigMap": {
    check: (data) => new ConfigMap(data as ConfigMap).validate(),
    schema: validateConfigMap,
  },
  "batch/v1/Job": {
    check: (data) => new Job(data as Job).validate(),
    schema: validateJob,
  },
};

/** The model for a manifest object; throws naming the kind when there is none here. */
export function modelFor(object: {
  apiVersion?: unknown;
  kind?: unknown;
}): KindModel {
  const key = `${String(object.apiVersion)}/${String(object.kind)}`;
  const model = MODELS[key];
  if (model === undefined)
    throw new Error(`no kubernetes-models model for ${key}: add it to MODELS`);
  return model;
}

/**
 * Fields of `data` (as `/spec/template/…` paths) that the schema's validator never read: fields
 * the kind does not have. Maps (labels, `resources.limits`, a ConfigMap's `data`) are walked by
 * the validator key by key, so any key of theirs counts as read.
 */
export function unknownFields(
  schema: (data: unknown) => boolean,
  data: unknown,
): string[] {
  const present = new Set<string>();
  const read = new Set<string>();
  const wrap = (value: unknown, at: string): unknown => {
    if (value === null || typeof value !== "object") return value;
    const isArray = Array.isArray(value);
    if (!isArray)
      for (const key of Object.keys(value)) present.add(`${at}/${key}`);
    return new Proxy(value, {
      get(target, key, receiver) {
        const child: unknown = Reflect.get(target, key, receiver);
        if (typeof key !== "string" || (isArray && key === "length"))
          return child;
        read.add(`${at}/${key}`);
        return wrap(child, `${at}/${key}`);
      },
      has(target, key) {
        if (typeof key === "string") read.add(`${at}/${key}`);
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        for (const key of Object.keys(target)) read.add(`${at}/${key}`);
        return Reflect.ownKeys(target);
      },
    });
  };
  schema(wrap(data, ""));
  return [...present].filter((field) => !read.has(field)).sort();
}
