"""the event log keeps what changed as JSON (events.change_json) instead of text (events.detail)

Until now an event's ``detail`` was text such as ``2026-11-30 → long_term`` or
``category: 思想建设 → 组织建设``, parsed back by the views. ``change_json`` holds the same
facts as data (the format of ``storage.event_json``); every existing row is converted here,
then ``detail`` is dropped. A detail that does not have the shape its kind used to write is
kept whole as the change's ``text``, so nothing is lost. The downgrade writes the old text back.

The conversion is written out here rather than imported, so that this migration keeps working
whatever later becomes of the application's code.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 12:00:00
"""

import json
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000
ARROW = ' → '
EDITED_FIELDS = frozenset({'problem', 'category', 'unit', 'lead', 'measures', 'source', 'detail'})
IMPORT_NOTES = frozenset({'导入', 'import'})  # what /import wrote on the 'created' line
NAME_SEPARATOR = '、'

Row = dict[str, Any]


def upgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('change_json', sa.Text(), nullable=False, server_default='{}')
        )
    _convert('detail', 'change_json', _change_of)
    with op.batch_alter_table('events', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('detail')


def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('detail', sa.Text(), nullable=False, server_default=''))
    _convert('change_json', 'detail', _detail_of)
    with op.batch_alter_table('events', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('change_json')


def _convert(source: str, target: str, convert: Callable[[str, str], str]) -> None:
    """Fill ``target`` from ``source`` for every event, a batch of rows at a time."""
    connection = op.get_bind()
    read = sa.text(
        f'SELECT id, kind, {source} FROM events WHERE id > :after ORDER BY id LIMIT {BATCH}'
    )
    write = sa.text(f'UPDATE events SET {target} = :value WHERE id = :id')
    after = 0
    while rows := connection.execute(read, {'after': after}).all():
        connection.execute(
            write, [{'id': row[0], 'value': convert(row[1], row[2] or '')} for row in rows]
        )
        after = rows[-1][0]


# --- text → JSON ------------------------------------------------------------------------------


def _change_of(kind: str, detail: str) -> str:
    """The JSON of an event whose detail was written as text by the services before 0004."""
    read = _READERS.get(kind)
    change = read(detail) if read is not None and detail.strip() else None
    if change is None:
        change = {'text': detail.strip()} if detail.strip() else {}
    return json.dumps(change, ensure_ascii=False, sort_keys=True)


def _due(token: str) -> Row | None:
    """``2026-11-30``, ``soft:2026-11-30``, ``none`` or ``long_term`` as a stored deadline."""
    token = token.strip()
    if token in ('none', 'long_term'):
        return {'kind': token}
    kind = 'soft' if token.startswith('soft:') else 'date'
    day = token.removeprefix('soft:')
    try:
        date.fromisoformat(day)
    except ValueError:
        return None
    return {'kind': kind, 'day': day} if len(day) == len('2026-11-30') else None


def _deadline(detail: str) -> Row | None:
    old, arrow, new = detail.partition(ARROW.strip())
    before, after = _due(old), _due(new)
    if not arrow or before is None or after is None:
        return None
    return {'old_due': before, 'new_due': after}


def _extension_requested(detail: str) -> Row | None:
    change, _, reason = detail.partition(': ')
    dues = _deadline(change)
    if dues is None:
        return None
    return {**dues, 'text': reason.strip()} if reason.strip() else dues


def _extension_decided(detail: str) -> Row | None:
    due = _due(detail)
    return {'new_due': due} if due is not None and due['kind'] == 'date' else None


def _edited(detail: str) -> Row | None:
    """``category: 思想建设 → 组织建设``; a blank value leaves nothing beside the arrow."""
    field, colon, values = detail.partition(': ')
    old, arrow, new = values.partition(ARROW)
    if not colon or not arrow or field not in EDITED_FIELDS:
        return None
    change: Row = {'field': field, 'old_value': old.strip(), 'new_value': new.strip()}
    return {key: value for key, value in change.items() if value}


def _names(text: str) -> list[str]:
    return [name for name in (n.strip() for n in text.split(NAME_SEPARATOR)) if name]


def _assigned(detail: str) -> Row | None:
    """``张三 → 李四、@zhang``, or `` → 李四`` when there were no owners before."""
    old, arrow, new = detail.partition(ARROW)
    if not arrow or not _names(new):
        return None
    change: Row = {'old_owners': _names(old), 'new_owners': _names(new)}
    return {key: value for key, value in change.items() if value}


def _measure_done(detail: str) -> Row | None:
    numbers = detail.split()
    if not numbers or not all(n.isdigit() for n in numbers):
        return None
    return {'measures': [int(n) for n in numbers]}


def _owner_linked(detail: str) -> Row | None:
    return {'username': detail.removeprefix('@')} if detail.startswith('@') else None


def _created(detail: str) -> Row | None:
    return {'imported': True} if detail in IMPORT_NOTES else None


_READERS: dict[str, Callable[[str], Row | None]] = {
    'deadline': _deadline,
    'extension_requested': _extension_requested,
    'extension_approved': _extension_decided,
    'extension_rejected': _extension_decided,
    'edited': _edited,
    'assigned': _assigned,
    'measure_done': _measure_done,
    'owner_linked': _owner_linked,
    'created': _created,
}


# --- JSON → text (downgrade) ----------------------------------------------------------------


def _token(due: Row) -> str:
    if due['kind'] in ('none', 'long_term') or not due.get('day'):
        return str(due['kind'])
    return f"soft:{due['day']}" if due['kind'] == 'soft' else str(due['day'])


def _detail_of(kind: str, stored: str) -> str:
    """The text the services wrote before 0004 for an event's change."""
    change: Row = json.loads(stored or '{}')
    text = str(change.get('text', ''))
    if kind == 'deadline' and 'old_due' in change and 'new_due' in change:
        return f"{_token(change['old_due'])}{ARROW}{_token(change['new_due'])}"
    if kind == 'extension_requested' and 'old_due' in change and 'new_due' in change:
        return f"{_token(change['old_due'])}{ARROW}{_token(change['new_due'])}: {text}"
    if kind in ('extension_approved', 'extension_rejected') and 'new_due' in change:
        return _token(change['new_due'])
    if kind == 'edited' and change.get('field'):
        old, new = change.get('old_value', ''), change.get('new_value', '')
        return f"{change['field']}: {old}{ARROW}{new}"
    if kind == 'assigned' and change.get('new_owners'):
        old = NAME_SEPARATOR.join(change.get('old_owners', []))
        return f"{old}{ARROW}{NAME_SEPARATOR.join(change['new_owners'])}"
    if kind == 'measure_done' and change.get('measures'):
        return ' '.join(str(n) for n in change['measures'])
    if kind == 'owner_linked' and change.get('username'):
        return f"@{change['username']}"
    if kind == 'created' and change.get('imported'):
        return '导入'
    return text
