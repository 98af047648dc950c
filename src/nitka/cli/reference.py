"""The CLI reference (docs/cli.md), generated from the commands themselves.

Run ``python -m nitka.cli.reference > docs/cli.md`` after changing a command;
a test fails while the file and the code disagree.
"""

from __future__ import annotations

from typing import Any

import typer

from nitka.cli.main import app

HEADER = """# Command reference

Generated from the code by `python -m nitka.cli.reference > docs/cli.md`; do not edit by hand.

Every command reads the store at `NITKA_DATABASE_URL` (default `sqlite:///nitka.db`),
or at `--database-url` given before the command: `nitka --database-url URL search ...`.

## Who acts: signing in

Options given before the command: `--as USER` (`NITKA_USER`) and `--purpose TEXT`
(`NITKA_PURPOSE`), recorded with every audit record.

In **production mode** (`NITKA_MODE=production`) the commands that read or write
case data (`search`, `show`, `export`, `judgements`, `merge`, `unmerge`, `ingest`,
`screen`, `withdraw`, `reinstate`, `erase`, `retention due`, `subject-report`,
`calls`, `flows`, `audit`, `message`) act only for an account proven by a token:

```
nitka login                                  # name, password, and the code if the account has one
nitka whoami                                 # who the command line acts as, and how it is proven
nitka search "Oleksandr Zakharov"            # as the signed-in account, until the sign-in expires
nitka logout                                 # the token is revoked and the saved sign-in deleted
```

For scripts: `nitka login --name o.kovalenko --password-stdin --code 123456 < secret`,
or an API token (`nitka token create`) in `NITKA_TOKEN`. `--as` alone is
refused there, and so is a token for another account than `--as` names. In
**development mode** (the default) `--as` names who works without proof, as a local
convenience; a name that is no account is a local operator, who sees every row. See
[access.md](access.md#signing-in-at-the-command-line).
"""


def _param_line(param: Any) -> str:
    if param.param_type_name == "argument":
        name = f"`{_argument_usage(param)}`"
        help_text = getattr(param, "help", None) or ""
    else:
        name = ", ".join(f"`{opt}`" for opt in param.opts)
        help_text = param.help or ""
        default = param.default
        if default not in (None, False, (), []) and not param.required:
            shown = getattr(default, "value", default)
            help_text += f" (default: `{shown}`)"
        if param.required:
            help_text += " (required)"
    return f"| {name} | {help_text.strip()} |"


def _argument_usage(param: Any) -> str:
    name = str(param.metavar or param.name.upper())
    return name if param.required else f"[{name}]"


def render_reference() -> str:
    group: Any = typer.main.get_command(app)
    parts = [HEADER]
    for path, command in _commands(group, "nitka"):
        arguments = [p for p in command.params if p.param_type_name == "argument"]
        usage = " ".join(["[OPTIONS]", *(_argument_usage(p) for p in arguments)])
        parts.append(f"## `{path}`\n")
        parts.append(f"```\n{path} {usage}\n```\n")
        parts.append((command.help or "").strip() + "\n")
        params = [p for p in command.params if p.name != "help"]
        if params:
            parts.append("| argument or option | meaning |\n|---|---|")
            parts.extend(_param_line(p) for p in params)
            parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def _commands(group: Any, prefix: str) -> list[tuple[str, Any]]:
    """Every command, subcommands of groups (``nitka match pairs``) included, by name."""
    ctx = group.context_class(group)
    found: list[tuple[str, Any]] = []
    for name in sorted(group.list_commands(ctx)):
        command = group.get_command(ctx, name)
        if command is None:
            continue
        path = f"{prefix} {name}"
        if hasattr(command, "list_commands"):
            found.extend(_commands(command, path))
        else:
            found.append((path, command))
    return found


if __name__ == "__main__":
    print(render_reference(), end="")
