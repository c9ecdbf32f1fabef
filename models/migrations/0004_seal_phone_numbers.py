from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.migrations.schema_editor.base import BaseSchemaEditor

from models.codes import keyed_hash
from models.migration_secrets import required_secret_key
from models.phone import mask_phone_number
from models.sealing import Sealed, seal


async def seal_clear_phone_numbers(apps, schema_editor):
    """Seal every clear number of users and flows, and key quota slots by the number's hash.

    Needs the server secret key only when there is a number to convert.
    """
    db = schema_editor.client
    users = apps.get_model("twofold", "User")
    flows = apps.get_model("twofold", "MfaFlow")
    slots = apps.get_model("twofold", "SendSlot")
    clear = [
        (model, row_id, e164)
        for model in (users, flows)
        for row_id, e164 in await model.filter(phone_e164__isnull=False)
        .using_db(db)
        .values_list("id", "phone_e164")
    ]
    slot_keys = (
        await slots.filter(key__startswith="phone:+").using_db(db).values_list("id", "key")
    )
    if not clear and not slot_keys:
        return
    secret_key = required_secret_key("stored phone numbers")
    for model, row_id, e164 in clear:
        await model.filter(id=row_id).using_db(db).update(
            phone_sealed=seal(secret_key, Sealed.PHONE_NUMBER, e164),
            phone_masked=mask_phone_number(e164),
            phone_e164=None,
        )
    for slot_id, key in slot_keys:
        e164 = key.removeprefix("phone:")
        digest = keyed_hash(secret_key, "phone", e164)
        await slots.filter(id=slot_id).using_db(db).update(key=f"phone:{digest}")


class DropColumn(ops.RemoveField):
    """RemoveField by `ALTER TABLE ... DROP COLUMN` on SQLite too.

    Tortoise removes a SQLite column by rebuilding the table, and dropping the old
    `user_account` with foreign keys on would cascade-delete every session and flow.
    """

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):
        if not state_editor:
            return
        model = old_state.apps.get_model(f"{app_label}.{self.model_name}")
        await BaseSchemaEditor.remove_field(state_editor, model, model._meta.fields_map[self.name])


class Migration(migrations.Migration):
    dependencies = [('twofold', '0003_brakes_audit_and_lock')]

    initial = False

    operations = [
        ops.AddField(
            model_name='MfaFlow',
            name='phone_sealed',
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name='MfaFlow',
            name='phone_masked',
            field=fields.CharField(null=True, max_length=20),
        ),
        ops.AddField(
            model_name='User',
            name='phone_sealed',
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name='User',
            name='phone_masked',
            field=fields.CharField(null=True, max_length=20),
        ),
        ops.RunPython(code=seal_clear_phone_numbers),
        DropColumn(
            model_name='MfaFlow',
            name='phone_e164',
        ),
        DropColumn(
            model_name='User',
            name='phone_e164',
        ),
    ]
