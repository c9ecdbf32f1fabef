from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('twofold', '0005_known_devices_and_brakes_by_source')]

    initial = False

    operations = [
        ops.AddField(
            model_name='MfaFlow',
            name='expires_at',
            field=fields.DatetimeField(null=True, description='The flow is over after this (null: as long as its session).', auto_now=False, auto_now_add=False),
        ),
    ]
