import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { readProgramProject, secretPlaceholder } from "../../../cli/plan/stack-config";

// The project and stack configuration `imfed plan` gives a program, as the Pulumi CLI would.

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "imfed-stack-config-"));
  writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    [
      "name: federation",
      "runtime: nodejs",
      "config:",
      "  imfed:endpoint:",
      "    value: http://127.0.0.1:7430",
      "  partners: 3",
      "",
    ].join("\n"),
  );
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the configuration of a program's stack", () => {
  it("takes the project's defaults, then the stack's values, keys without a namespace in the project's", () => {
    writeFileSync(
      path.join(dir, "Pulumi.production.yaml"),
      "config:\n  imfed:endpoint: https://imfed.contoso.example\n  federation:enabled: true\n  tags:\n    team: uc\n",
    );
    const project = readProgramProject(dir, undefined);
    expect(project).toMatchObject({ project: "federation", stack: "production", main: dir, secretKeys: [] });
    expect(project.config).toEqual({
      "imfed:endpoint": "https://imfed.contoso.example",
      "federation:partners": "3",
      "federation:enabled": "true",
      "federation:tags": '{"team":"uc"}',
    });
  });

  it("gives a secure value a placeholder that names it, and lists it as a secret", () => {
    writeFileSync(
      path.join(dir, "Pulumi.production.yaml"),
      "config:\n  imfed:token:\n    secure: AAABAKx3ciphertext\n",
    );
    const project = readProgramProject(dir, "production");
    expect(project.config["imfed:token"]).toBe(secretPlaceholder("imfed:token"));
    expect(project.config["imfed:token"]).toBe("[secret imfed:token: not decrypted by imfed plan]");
    expect(project.secretKeys).toEqual(["imfed:token"]);
  });

  it("asks for --stack when the folder has several stacks, and refuses a stack it has no file of", () => {
    writeFileSync(path.join(dir, "Pulumi.staging.yaml"), "config: {}\n");
    writeFileSync(path.join(dir, "Pulumi.production.yaml"), "config: {}\n");
    expect(() => readProgramProject(dir, undefined)).toThrow(/say which with --stack NAME/);
    expect(() => readProgramProject(dir, "dev")).toThrow("no Pulumi.dev.yaml in");
  });

  it("refuses a folder without Pulumi.yaml, saying what to give", () => {
    const empty = mkdtempSync(path.join(tmpdir(), "imfed-empty-"));
    try {
      expect(() => readProgramProject(empty, undefined)).toThrow(
        /no Pulumi.yaml in .*give imfed plan the folder of a Pulumi program/,
      );
    } finally {
      rmSync(empty, { recursive: true });
    }
  });
});
