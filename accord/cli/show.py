"""How `accord show` prints one agreement version for a person at a terminal."""

from pathlib import Path

import typer

from accord.services.agreements import VersionView
from accord.services.documents import agreement_document_name
from accord.source.spec import numbered


def print_version(view: VersionView, *, output_dir: Path) -> None:
    agreement, content = view.agreement, view.content
    spec = content.agreement
    lang = spec.primary_language
    typer.echo(
        f"{agreement.slug}  ({agreement.kind}, {agreement.country}, {agreement.status.value})"
    )
    typer.echo(f"  {spec.title[lang]}")
    typer.echo(f"  secretariat: {content.org(spec.secretariat).display_name(lang)}")
    typer.echo(f"  languages:   {', '.join(spec.languages)}")
    typer.echo("  parties:")
    for party in spec.parties:
        part = f"{party.role.value}, coordinating body" if party.coordinating else party.role.value
        typer.echo(f"    - {content.org(party.org).display_name(lang)} ({part})")
    typer.echo("  versions:")
    for v in view.versions:
        mark = "*" if v.number == view.version.number else " "
        typer.echo(
            f"   {mark} {v.number}  {v.sha256[:12]}  {v.created_at:%Y-%m-%d %H:%M} UTC  "
            f"{v.source_path}"
        )
    typer.echo(f"  clauses of version {view.version.number}:")
    for item in numbered(spec.clauses):
        title = (item.clause.title or {}).get(lang) or item.clause.text[lang][:60] + "…"
        typer.echo(f"    {'  ' * item.depth}{item.number} {title}  [{item.clause.id}]")
    if spec.commitments:
        typer.echo(f"  commitments: {len(spec.commitments)}")
        for c in spec.commitments:
            typer.echo(
                f"    {c.id}  {c.due_label:<10}  {c.responsible:<18}  {c.activity[lang][:70]}"
            )
    document = output_dir / agreement_document_name(agreement.slug, view.version.number)
    typer.echo(f"  document: {document.resolve() if document.exists() else 'not written yet'}")
