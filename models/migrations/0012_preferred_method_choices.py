from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import MfaMethod
from tortoise import fields


class AlterFieldStateOnly(ops.AlterField):
    """Records the field's new description (its enum gained SECURITY_KEY) without touching the
    table: the column is the same VARCHAR(32), and on SQLite an AlterField rebuilds
    `user_account`, whose cascades would delete every session and flow."""

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):
        return None

    async def database_backward(self, app_label, old_state, new_state, state_editor=None):
        return None


class Migration(migrations.Migration):
    dependencies = [('twofold', '0011_sms_delivery_reports')]

    initial = False

    operations = [
        AlterFieldStateOnly(
            model_name='User',
            name='preferred_method',
            field=fields.CharEnumField(null=True, description='SMS: sms\nAUTHENTICATOR_APP: authenticator_app\nSECURITY_KEY: security_key', enum_type=MfaMethod, max_length=32),
        ),
    ]
