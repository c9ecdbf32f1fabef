from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('twofold', '0004_seal_phone_numbers')]

    initial = False

    operations = [
        ops.CreateModel(
            name='KnownDevice',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('token_hmac', fields.CharField(unique=True, max_length=64)),
                ('account_key', fields.CharField(description='Keyed hash of the sign-in email the device signed in with.', max_length=64)),
                ('user', fields.ForeignKeyField('twofold.User', source_field='user_id', db_constraint=True, to_field='id', related_name='known_devices', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_used_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'known_device', 'app': 'twofold', 'pk_attr': 'id', 'table_description': 'A browser or app that signed in as its user. Only a keyed hash of its token is kept.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='AuthSession',
            name='known_device',
            field=fields.ForeignKeyField('twofold.KnownDevice', source_field='known_device_id', null=True, db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterModelOptions(
            name='LoginThrottle',
            options={'table': 'login_throttle', 'app': 'twofold', 'pk_attr': 'key', 'table_description': 'One brake. `version` makes every change a compare-and-swap, exact under parallelism.'},
        ),
        ops.AddField(
            model_name='LoginThrottle',
            name='version',
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.RemoveField(model_name='LoginThrottle', name='verifying_until'),
    ]
