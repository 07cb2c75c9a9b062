"""SQLModel tables: the whole schema of the ledger."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class GroupRow(SQLModel, table=True):
    """One Telegram group = one unit's ledger."""

    __tablename__ = "groups"

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_column=Column(BigInteger, unique=True, nullable=False))
    title: str = ""
    name_override: str = ""
    chat_type: str = "group"
    active: bool = True
    settings_json: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    parent_id: int | None = Field(default=None, foreign_key="groups.id", index=True)
    next_number: int = 1
    created_at: datetime
    updated_at: datetime


class UserRow(SQLModel, table=True):
    """A Telegram user the bot has seen anywhere."""

    __tablename__ = "users"

    user_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    username: str | None = None
    username_lower: str | None = Field(default=None, index=True)  # @mentions ignore case
    first_name: str = ""
    last_name: str = ""
    language_code: str = ""
    private_started: bool = False
    blocked: bool = False
    updated_at: datetime


class MembershipRow(SQLModel, table=True):
    """A user seen writing in a group (how @username mentions are resolved)."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    user_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    last_seen_at: datetime


class ItemRow(SQLModel, table=True):
    """A rectification item (整改事项)."""

    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("group_id", "number"),
        Index("ix_items_active_due", "deleted", "status", "due_date"),
        Index("ix_items_group_status_due", "group_id", "status", "due_date"),  # reminder sweep
    )

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    number: int
    problem: str = Field(sa_column=Column(Text, nullable=False))
    detail: str = Field(default="", sa_column=Column(Text, nullable=False))
    category: str = ""
    unit: str = ""
    lead: str = ""
    source: str = ""
    status: str = "open"
    due_kind: str = "none"
    due_date: date | None = None
    due_phrase: str = ""
    original_due: date | None = None
    deleted: bool = False
    return_count: int = 0
    extension_count: int = 0
    created_by: int = Field(sa_column=Column(BigInteger, nullable=False))
    created_by_name: str = ""
    created_at: datetime
    updated_at: datetime
    # The committee's item this one was dispatched (交办) from, in the parent group. No foreign
    # key: items are never deleted, and SQLite could add this column only by copying the table.
    parent_item_id: int | None = Field(default=None, index=True)
    pending_since: datetime | None = None
    closed_at: datetime | None = None
    closed_by_name: str = ""


class OwnerRow(SQLModel, table=True):
    """An owner (责任人) of an item: a user, a pending @username or a plain name."""

    __tablename__ = "owners"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="items.id", index=True)
    position: int = 0
    name: str
    user_id: int | None = Field(default=None, sa_column=Column(BigInteger, index=True))
    username: str | None = None
    username_lower: str | None = Field(default=None, index=True)  # pending @username, linked later


class MeasureRow(SQLModel, table=True):
    """One 整改措施 of an item."""

    __tablename__ = "measures"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="items.id", index=True)
    position: int = 0
    text: str = Field(sa_column=Column(Text, nullable=False))
    done: bool = False


class ProgressRow(SQLModel, table=True):
    """A 推进情况 entry, or the note and evidence of a 销号 request."""

    __tablename__ = "progress"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="items.id", index=True)
    kind: str = "progress"
    author_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    author_name: str = ""
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    file_id: str | None = None
    file_kind: str | None = None
    created_at: datetime


class ExtensionRow(SQLModel, table=True):
    """A 延期申请 and its decision."""

    __tablename__ = "extensions"
    __table_args__ = (Index("ix_extensions_status", "status"),)  # waiting requests (sweep)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="items.id", index=True)
    requested_by: int = Field(sa_column=Column(BigInteger, nullable=False))
    requested_name: str = ""
    old_due: date | None = None
    new_due: date
    new_phrase: str = ""
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    status: str = "waiting"
    after_deadline: bool = False
    decided_by_name: str = ""
    decided_at: datetime | None = None
    created_at: datetime
    # The request as posted with its [同意] [驳回] buttons (removed once it is withdrawn).
    message_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))


class EventRow(SQLModel, table=True):
    """One line of the event log: every change with its actor, and what changed as JSON."""

    __tablename__ = "events"

    id: int | None = Field(default=None, primary_key=True)
    # None for an event of the group itself (linked under a parent, a branch unlinked …).
    item_id: int | None = Field(default=None, foreign_key="items.id", index=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    kind: str
    actor_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    actor_name: str = ""
    change_json: str = Field(default="{}", sa_column=Column(Text, nullable=False))  # EventChange
    created_at: datetime


class DispatchRow(SQLModel, table=True):
    """A scheduled message, keyed so that it is sent exactly once.

    ``claimed_by`` is the id of the instance (``instances.id``) sending it right now; the claim
    lasts as long as that instance's heartbeat.
    """

    __tablename__ = "dispatches"
    __table_args__ = (
        # The claims an instance still holds (released when it stops): a small partial index.
        Index(
            "ix_dispatches_unsent_claims",
            "claimed_by",
            sqlite_where=text("sent_at IS NULL"),
            postgresql_where=text("sent_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    claimed_at: datetime
    claimed_by: str = ""
    sent_at: datetime | None = None
    attempts: int = 0
    last_error: str = ""


class InstanceRow(SQLModel, table=True):
    """A running bot process, kept alive by its heartbeat; gone once ``expires_at`` passes."""

    __tablename__ = "instances"

    id: str = Field(primary_key=True)
    host: str = ""
    pid: int = 0
    started_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    last_sweep_at: datetime | None = None


class PacingRow(SQLModel, table=True):
    """The send instants reserved in one flood-limit scope (all messages, or one chat)."""

    __tablename__ = "send_pacing"

    scope: str = Field(primary_key=True)
    times_json: str = Field(default="[]", sa_column=Column(Text, nullable=False))


class ImportPreviewRow(SQLModel, table=True):
    """A parsed plan waiting for [确认导入] or [取消]."""

    __tablename__ = "import_previews"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    created_by: int = Field(sa_column=Column(BigInteger, nullable=False))
    payload: str = Field(sa_column=Column(Text, nullable=False))
    status: str = "waiting"
    created_at: datetime
    expires_at: datetime
    # The preview as posted with its buttons (removed once a newer preview replaces it).
    message_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))


class LinkCodeRow(SQLModel, table=True):
    """A one-time code a parent group hands to a branch group to link it below (/link, /join)."""

    __tablename__ = "link_codes"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    parent_group_id: int = Field(foreign_key="groups.id", index=True)
    created_by: int = Field(sa_column=Column(BigInteger, nullable=False))
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    used_by_group_id: int | None = Field(default=None, foreign_key="groups.id")
