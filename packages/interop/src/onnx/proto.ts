/**
 * The part of onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto, IR version 8) that
 * an exported recurrent model uses, as a protobufjs reflection schema: the message and field names and
 * numbers are onnx.proto's, so protobufjs does the wire encoding and nothing here is string-built.
 * Fields not listed are skipped when decoding, as protobuf requires.
 */
import protobuf from "protobufjs/light.js";

const SCHEMA = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: "int64", id: 1 },
            opsetImport: { rule: "repeated", type: "OperatorSetIdProto", id: 8 },
            producerName: { type: "string", id: 2 },
            producerVersion: { type: "string", id: 3 },
            domain: { type: "string", id: 4 },
            modelVersion: { type: "int64", id: 5 },
            docString: { type: "string", id: 6 },
            graph: { type: "GraphProto", id: 7 },
            metadataProps: { rule: "repeated", type: "StringStringEntryProto", id: 14 },
          },
        },
        OperatorSetIdProto: {
          fields: { domain: { type: "string", id: 1 }, version: { type: "int64", id: 2 } },
        },
        StringStringEntryProto: {
          fields: { key: { type: "string", id: 1 }, value: { type: "string", id: 2 } },
        },
        GraphProto: {
          fields: {
            node: { rule: "repeated", type: "NodeProto", id: 1 },
            name: { type: "string", id: 2 },
            initializer: { rule: "repeated", type: "TensorProto", id: 5 },
            docString: { type: "string", id: 10 },
            input: { rule: "repeated", type: "ValueInfoProto", id: 11 },
            output: { rule: "repeated", type: "ValueInfoProto", id: 12 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: "repeated", type: "string", id: 1 },
            output: { rule: "repeated", type: "string", id: 2 },
            name: { type: "string", id: 3 },
            opType: { type: "string", id: 4 },
            attribute: { rule: "repeated", type: "AttributeProto", id: 5 },
            domain: { type: "string", id: 7 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: "string", id: 1 },
            type: { type: "int32", id: 20 },
            f: { type: "float", id: 2 },
            i: { type: "int64", id: 3 },
            s: { type: "bytes", id: 4 },
            floats: { rule: "repeated", type: "float", id: 7 },
            ints: { rule: "repeated", type: "int64", id: 8 },
            strings: { rule: "repeated", type: "bytes", id: 9 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: "repeated", type: "int64", id: 1 },
            dataType: { type: "int32", id: 2 },
            floatData: { rule: "repeated", type: "float", id: 4 },
            int64Data: { rule: "repeated", type: "int64", id: 7 },
            name: { type: "string", id: 8 },
            rawData: { type: "bytes", id: 9 },
            doubleData: { rule: "repeated", type: "double", id: 10 },
            dataLocation: { type: "int32", id: 14 },
          },
        },
        ValueInfoProto: {
          fields: { name: { type: "string", id: 1 }, type: { type: "TypeProto", id: 2 } },
        },
        TypeProto: {
          fields: { tensorType: { type: "TypeProtoTensor", id: 1 } },
        },
        TypeProtoTensor: {
          fields: { elemType: { type: "int32", id: 1 }, shape: { type: "TensorShapeProto", id: 2 } },
        },
        TensorShapeProto: {
          fields: { dim: { rule: "repeated", type: "Dimension", id: 1 } },
        },
        Dimension: {
          fields: { dimValue: { type: "int64", id: 1 }, dimParam: { type: "string", id: 2 } },
        },
      },
    },
  },
};

/** onnx.proto's TensorProto.DataType values we use. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, DOUBLE: 11 } as const;
/** onnx.proto's AttributeProto.AttributeType values we use. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

// Plain-object views of the messages (what encode takes and decode returns, int64 as number).
export interface Attribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
}
export interface Node {
  input: string[];
  output: string[];
  name?: string;
  opType: string;
  attribute?: Attribute[];
  domain?: string;
}
export interface Tensor {
  name: string;
  dims: number[];
  dataType: number;
  rawData?: Uint8Array;
  floatData?: number[];
  int64Data?: number[];
  doubleData?: number[];
  dataLocation?: number;
}
export interface ValueInfo {
  name: string;
  type?: { tensorType?: { elemType?: number; shape?: { dim?: { dimValue?: number; dimParam?: string }[] } } };
}
export interface Graph {
  name?: string;
  node: Node[];
  initializer: Tensor[];
  input: ValueInfo[];
  output: ValueInfo[];
}
export interface Model {
  irVersion: number;
  opsetImport: { domain?: string; version: number }[];
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  graph?: Graph;
  metadataProps?: { key: string; value: string }[];
}

let modelType: protobuf.Type | null = null;
function ModelProto(): protobuf.Type {
  modelType ??= protobuf.Root.fromJSON(SCHEMA).lookupType("onnx.ModelProto");
  return modelType;
}

/** Encodes a ModelProto (protobuf wire format). */
export function encodeModel(m: Model): Uint8Array {
  const T = ModelProto();
  return T.encode(T.fromObject(m)).finish();
}

/** Decodes a ModelProto; throws protobufjs's error on malformed bytes (the caller words it). */
export function decodeModel(bytes: Uint8Array): Model {
  const T = ModelProto();
  return T.toObject(T.decode(bytes), { longs: Number, arrays: true, defaults: false }) as Model;
}
