from tortoise import migrations
from tortoise.migrations import operations as ops
from models.admin_request import AdminRequestKind
from models.hold import HoldReason
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields

from models.codes import keyed_hash
from models.migration_secrets import required_secret_key
from models.sealing import Sealed, unseal


async def digest_verified_phone_numbers(apps, schema_editor):
    """Give every verified number its keyed hash, so other companies' users can be found by it.

    Needs the server secret key only when there is a number to hash.
    """
    db = schema_editor.client
    users = apps.get_model("twofold", "User")
    rows = await users.filter(phone_sealed__isnull=False, phone_verified_at__isnull=False).using_db(
        db
    ).values_list("id", "phone_sealed")
    if not rows:
        return
    secret_key = required_secret_key("the hashes of stored phone numbers")
    for row_id, sealed in rows:
        e164 = unseal(secret_key, Sealed.PHONE_NUMBER, sealed)
        await users.filter(id=row_id).using_db(db).update(
            phone_digest=keyed_hash(secret_key, "phone", e164)
        )

class Migration(migrations.Migration):
    dependencies = [('twofold', '0018_saml_used_assertions')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AdminRequest',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('kind', fields.CharEnumField(description='MFA_RESET: mfa_reset\nHOLD_RELEASE: hold_release', enum_type=AdminRequestKind, max_length=16)),
                ('company', fields.ForeignKeyField('twofold.Company', source_field='company_id', db_constraint=True, to_field='id', related_name='admin_requests', on_delete=OnDelete.CASCADE)),
                ('requester', fields.ForeignKeyField('twofold.User', source_field='requester_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('target', fields.ForeignKeyField('twofold.User', source_field='target_id', db_constraint=True, to_field='id', related_name='admin_requests', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('approved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('approver_id', fields.UUIDField(null=True, description='The admin, or null for the operator.')),
            ],
            options={'table': 'admin_request', 'app': 'twofold', 'pk_attr': 'id', 'table_description': 'One request, pending until approved or past `expires_at`.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Hold',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('twofold.User', source_field='user_id', db_constraint=True, to_field='id', related_name='holds', on_delete=OnDelete.CASCADE)),
                ('reason', fields.CharEnumField(description='MFA_RESET: mfa_reset\nRECOVERY_CODE_SIGN_IN: recovery_code_sign_in\nPHONE_CHANGE: phone_change\nFACTOR_ADDED: factor_added\nFACTOR_REMOVED: factor_removed\nPASSWORD_CHANGE: password_change\nPASSWORD_RESET: password_reset', enum_type=HoldReason, max_length=32)),
                ('started_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('until', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('released_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('released_by_id', fields.UUIDField(null=True)),
                ('end_recorded', fields.BooleanField(default=False, description='Whether the end is audited (an expiry, when first seen).')),
            ],
            options={'table': 'account_hold', 'app': 'twofold', 'pk_attr': 'id', 'table_description': 'One hold on one user, from `started_at` until `until` (or `released_at`).'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Company',
            name='require_two_admins_for_mfa_reset',
            field=fields.BooleanField(default=False, description="An admin's MFA reset waits for a second admin of the company to approve it.", db_default=False),
        ),
        ops.AddField(
            model_name='User',
            name='phone_digest',
            field=fields.CharField(null=True, db_index=True, max_length=64),
        ),
        ops.RunPython(code=digest_verified_phone_numbers),
    ]
